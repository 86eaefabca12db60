# The README's two commands, for those who prefer make.
.PHONY: up test
up:
	python3 dev.py up
test:
	python3 dev.py test
