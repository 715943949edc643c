"""When a row was created and last saved, for the models that show or compare it."""

from django.db import models


class Timestamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
