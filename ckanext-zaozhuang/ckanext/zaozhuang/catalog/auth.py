"""Auth functions of the catalog domain (registered by name prefix zaozhuang_)."""
