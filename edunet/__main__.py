from edunet.cli.main import app

app(prog_name="edunet")
