from catalogctl.cli.main import main

main()
