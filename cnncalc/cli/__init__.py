"""The command line: thin typer commands that parse options, call the API and render."""
