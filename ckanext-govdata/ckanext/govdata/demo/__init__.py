"""The demo city catalogue: Shaoxing's published figures, generated (catalogue) and loaded (loader)."""
