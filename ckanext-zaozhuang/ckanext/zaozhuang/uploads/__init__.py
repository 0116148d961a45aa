"""Uploaded resource files: what they are must agree with what they are declared to be, and
they keep their names in any script."""
