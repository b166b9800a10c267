"""Background sending of notifications (django.tasks), enqueued after the commit that created them."""

from django.tasks import task

from pasar.notifications import services


@task()
def notification_send(notification_id: int) -> bool:
    return services.notification_send(notification_id)
