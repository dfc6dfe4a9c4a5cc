"""The API's entities, one field table each (see ``api.fields``)."""
