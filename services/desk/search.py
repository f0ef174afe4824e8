"""The desk's ticket search, expanded with the synonyms editors keep for the site.

"เน็ต" finds tickets of "ซ่อมระบบคอมพิวเตอร์และเครือข่ายอินเทอร์เน็ต"; every
typed word (or one of its synonyms) must appear in one of the search fields.
A reference such as ICT-2569-000123 or an e-mail address is one word.
"""

import operator
from functools import reduce

from django.db.models import Q
from wagtail_modeladmin.helpers import DjangoORMSearchHandler

from home.search.expand import expand


def expanded_filter(search_term, fields):
    """For each typed word: any of its words in any of ``fields`` (None: nothing to search)."""
    expansion = expand(search_term, correct=False)
    if not expansion:
        return None
    groups = []
    for group in expansion.groups:
        words = {word for word in group.words if word.strip()}
        groups.append(
            reduce(
                operator.or_,
                (Q(**{f"{name}__icontains": word}) for word in words for name in fields),
            )
        )
    return reduce(operator.and_, groups)


class SynonymSearchHandler(DjangoORMSearchHandler):
    def search_queryset(self, queryset, search_term, **kwargs):
        if not search_term or not self.search_fields:
            return queryset
        condition = expanded_filter(search_term, self.search_fields)
        if condition is None:
            return queryset.none()
        return queryset.filter(condition)
