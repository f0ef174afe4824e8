"""Personal data under the PDPA: retention, a person's export and erasure.

``retention`` anonymises tickets whose retention period is over (a daily
Django-Q2 schedule); ``subject`` finds, exports and erases everything held
about one e-mail address or phone number. Both replace personal values in
place and keep every row, so every count in every report stays the same.

May import: ``tickets``, ``surveys``, ``bookings``, ``catalogue``, ``core`` and ``home``
(it sits between ``requests`` and ``reports``).
"""
