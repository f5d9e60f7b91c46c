"""The API's filter backend: django-filter's, refusing an empty value where the description types one.

django-filter skips a filter whose value is empty, so ``?current_on=`` answered as if no date were given
although the API description says ``current_on`` is a date (schemathesis, issue 19). An empty value for
a filter that is not free text (a date, a number, a choice, a yes/no) is a 400 naming the filter, as
any other value it cannot read. Free-text filters (a reference code, a name) may be empty: the
description types them as strings, and an empty one filters nothing. The HTML pages keep skipping
empty values: their forms send every field, filled or not.
"""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.exceptions import ValidationError


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            blank = {
                name: [serializers.CharField.default_error_messages["blank"]]
                for name, found in filterset_class.base_filters.items()
                if not isinstance(found, django_filters.CharFilter)
                and any(value.strip() == "" for value in request.query_params.getlist(name))
            }
            if blank:
                raise ValidationError(blank)
        return super().filter_queryset(request, queryset, view)
