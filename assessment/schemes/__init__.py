"""Assessment schemes (考核方案): which indicators count, with which weight, target and rule."""
