"""PrivateLink pages and fragments, mounted under a service's URL."""

from django.urls import path

urlpatterns: list = []
