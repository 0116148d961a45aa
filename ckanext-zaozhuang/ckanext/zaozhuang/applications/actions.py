"""Action functions of the applications domain (registered by name prefix zaozhuang_)."""
