"""Reports for executives: KPI arithmetic, aggregates, charts and exports.

- ``period``, ``kpi``, ``queries``, ``build``: a period, the satisfaction formula,
  the database aggregates and the one report data dict built from them
- ``output``, ``charts``, ``export``: SVG charts, CSV and XLSX from that dict
- ``models`` and ``monthly``: the stored monthly report and its e-mail
- ``views``, ``panels``, ``wagtail_hooks``: the admin pages, dashboard panels and menu

May import: ``services.bookings``, ``services.surveys``, ``services.tickets``,
``services.catalogue``, ``services.core`` and ``home``. Not ``requests``, ``desk``,
``demo`` or the app glue above them.
"""
