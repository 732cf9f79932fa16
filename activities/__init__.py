"""Everything with side effects: partner clients, messages, rules loading, read-model writes."""
