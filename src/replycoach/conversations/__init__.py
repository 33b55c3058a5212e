"""Conversation histories (JSON Lines or CSV): read by `audit`, and by `lint` to judge each
agent reply with the customer's message it answers."""
