"""A partner's files go with their rows: an agreement, a group's shared document or an institution
deleted (in the admin, by a cascade, by a bulk action) takes its file off the private storage once
the deletion is committed, never before, so a rollback keeps the file the row still names."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from partners.models import Agreement, GroupDocument, Institution
from partners.services import delete_file_on_commit


@receiver(post_delete, sender=Agreement, dispatch_uid="partners-agreement-copy")
def agreement_deleted(sender, instance, **kwargs):
    delete_file_on_commit(instance.document)


@receiver(post_delete, sender=GroupDocument, dispatch_uid="partners-group-document-file")
def group_document_deleted(sender, instance, **kwargs):
    delete_file_on_commit(instance.file)


@receiver(post_delete, sender=Institution, dispatch_uid="partners-institution-logo")
def institution_deleted(sender, instance, **kwargs):
    delete_file_on_commit(instance.logo)
