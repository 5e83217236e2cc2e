"""Operators' domain code for people: staff, print-station devices, contact import and export.

Everything goes through the Supabase APIs with the service key (Auth admin API for logins,
PostgREST RPC for the SQL functions of Data model I), exactly as on a hosted project.
"""
