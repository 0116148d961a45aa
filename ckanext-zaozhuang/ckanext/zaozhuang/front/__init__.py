"""The portal's front door: the home page's figures and lists."""
