<#--
  Telegram's built-in message, in its HTML parse mode. The first line is the title every part
  repeats; every line closes each tag it opens, so a message split between lines stays whole HTML.
-->
<#import "/nm.ftl" as nm>
<#macro alert a>
<b>• ${a.name}</b><#if a.summary?has_content>: ${a.summary}</#if>
<#list a.labels as l>
<code>${l.name}</code>: ${l.value}
</#list>
<#list a.annotations as n>
<i>${n.name}</i>: ${n.value}
</#list>
<#if a.startsAt?has_content>
${words.startsAt}: ${a.startsAt}<#if a.endsAt?has_content> · ${words.endsAt}: ${a.endsAt}</#if>
</#if>
<#if a.generatorURL?has_content || a.runbookURL?has_content>
<#if a.generatorURL?has_content><a href="${a.generatorURL}">${words.source}</a></#if><#if a.generatorURL?has_content && a.runbookURL?has_content> · </#if><#if a.runbookURL?has_content><a href="${a.runbookURL}">${words.runbook}</a></#if>
</#if>
</#macro>
<b>${nm.title()}</b>
<#list firing>

<b>${words.firing}</b> (${firing?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#list resolved>

<b>${words.resolved}</b> (${resolved?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#if truncatedNote?has_content>

<i>${truncatedNote}</i>
</#if>
