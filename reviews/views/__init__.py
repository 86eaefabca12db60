"""Pages of the reviews app: audits and templates, periodic reviews, the risk register."""
