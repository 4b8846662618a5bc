from django.apps import AppConfig


class CoalitionConfig(AppConfig):
    name = "coalition"

    def ready(self):
        from coalition import stored_files, versioning

        versioning.connect()
        stored_files.install_admin_widget()
