"""providers/groovekart."""
