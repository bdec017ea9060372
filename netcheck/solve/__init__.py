"""The solve stage: labelled constraints -> plain-Python outcome (verdict, concrete values,
blockers). Z3 appears here for the last time; nothing above solve/ sees a Z3 object."""
