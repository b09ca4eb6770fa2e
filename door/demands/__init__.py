"""The enterprise's demands (诉求) behind its door: raise one, follow it on a timeline written for the
enterprise, answer a request for more information, give the verdict (issue 16, point 3)."""
