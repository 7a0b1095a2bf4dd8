"""The back office's views, one module per page family; ``urls`` routes to them."""
