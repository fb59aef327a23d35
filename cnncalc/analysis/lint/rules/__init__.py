"""One module per lint rule. Each defines `RULE` (a `Rule`) — the registry discovers them."""
