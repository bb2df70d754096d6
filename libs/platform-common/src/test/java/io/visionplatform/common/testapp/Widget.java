package io.visionplatform.common.testapp;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

@Entity
public class Widget {

    @Id
    public String id;

    public String name;
}
