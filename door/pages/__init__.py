"""The enterprise's own pages behind the door: its liaison cadres, forum invitations, policies and visits."""
