"""Import from PTV (Palvelutietovaranto, the national service catalogue), open API v11."""
