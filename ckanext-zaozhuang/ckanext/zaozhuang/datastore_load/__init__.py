"""Uploaded tables into the DataStore: ckanext-xloader's jobs, under the portal's access
rules and run with the site user's token (README: "From an upload to a table")."""
