"""The officers' desk: the moves of a ticket, their e-mails, and the admin views
that offer them. The rules live in ``moves``; everything else calls it."""
