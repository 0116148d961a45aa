"""Action functions of the audit domain (registered by name prefix zaozhuang_)."""
