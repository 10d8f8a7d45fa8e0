"""Pure rules of the case procedure (RULES §6): no database, plain values in, findings or dates out."""
