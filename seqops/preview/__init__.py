"""Preview: a template's subject and body filled with real prospect data from a target, and
how many prospects of a sample would get an empty value for each merge field.

Its modules are imported by name (`seqops.preview.fill`, `.people`, `.mergefields`): lint reads
merge fields on every commit and must not load what fetching prospects needs (the providers)."""
