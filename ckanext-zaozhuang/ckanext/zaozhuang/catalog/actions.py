"""Action functions of the catalog domain (registered by name prefix zaozhuang_)."""
