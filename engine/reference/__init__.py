"""Reference data of the alliance: governorates, skills, member associations (pure data, no I/O)."""
