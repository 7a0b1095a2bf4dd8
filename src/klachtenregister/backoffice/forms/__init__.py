"""Forms of the back office: registering a complaint, and one form per event a user records."""
