"""Hidden tests, one module per lesson, called from the lessons' hidden test regions."""
