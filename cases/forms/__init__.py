"""Forms of the cases app, one module per area. They validate; services write."""
