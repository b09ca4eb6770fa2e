"""What the visits app does when a liaison starts or changes (found by core.registry.contributions("liaisons", ...)).

enterprises.services starts and changes liaisons but sits below visits, so it asks every app's `liaisons.py` by name.
"""

from .plan.services import liaison_saved

__all__ = ["liaison_saved"]
