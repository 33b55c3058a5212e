"""reply"""
