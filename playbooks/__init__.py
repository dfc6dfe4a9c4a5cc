"""The playbooks unit: device configuration rendered from the model, applied with Ansible
(through ansible-runner) and netmiko. This folder is also the Ansible project."""
