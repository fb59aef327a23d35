"""The opt-in NumPy reference executor: runs a spec for real to check what the calculator predicts.

Only `cnncalc run`, `cnncalc conv`, `cnncalc pool` and `Network.run()` import this package; the
core engine never imports NumPy.
"""
