package io.visionplatform.common.testapp;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "widget_event_seen")
public class WidgetEventSeen {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "subject_id")
    public String subjectId;

    @Column(name = "event_type")
    public String eventType;
}
