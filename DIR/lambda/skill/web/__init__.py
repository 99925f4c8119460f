"""The web edge: the Flask app, Alexa's request verification, and the endpoint contract."""
