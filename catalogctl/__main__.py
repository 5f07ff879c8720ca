from catalogctl.cli.main import run

run()
