"""PrivateLink pages and fragments, mounted under a service's URL."""


urlpatterns: list = []
