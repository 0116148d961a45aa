"""Action functions of the agreements domain (registered by name prefix zaozhuang_)."""
