from edunet.cli import app

app(prog_name="edunet")
