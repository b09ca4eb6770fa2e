"""What the enterprise's pages show. `home_context(enterprise)` is the context of `door:home`
(templates/door/home.html): everything an enterprise reads about itself starts from the enterprise its
access opens, never from an id the request carries."""


def home_context(enterprise):
    """The context of the enterprise's home page behind the door."""
    return {"enterprise": enterprise}
