from django.apps import AppConfig


class CoalitionConfig(AppConfig):
    name = "coalition"

    def ready(self):
        from coalition import versioning

        versioning.connect()
