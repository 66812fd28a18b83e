"""The rules, one module per family; `seqops.lint.registry` collects them by id."""
