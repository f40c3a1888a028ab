"""Answer composition: question + passages → a cited `Answer`. Knows nothing of Slack."""
